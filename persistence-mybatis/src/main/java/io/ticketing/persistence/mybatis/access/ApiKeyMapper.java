package io.ticketing.persistence.mybatis.access;

import io.ticketing.domain.model.ApiKey;
import org.apache.ibatis.annotations.Param;

import java.util.UUID;

interface ApiKeyMapper {

    int insert(@Param("id") UUID id, @Param("name") String name, @Param("role") String role, @Param("keyHash") String keyHash);

    ApiKey findActive(@Param("keyHash") String keyHash);

    long countActive(@Param("role") String role);
}
